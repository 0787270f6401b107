"""Admin for customer orders and webhook deliveries."""
