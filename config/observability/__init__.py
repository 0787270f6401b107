"""What each process tells its operators: structured logs (`logs`, `requests`, `tasks`),
Prometheus metrics (`metrics`, `collectors`), error reports (`errors`) and traces
(`telemetry`). Settings: config/settings/observability.py; README, Production."""
