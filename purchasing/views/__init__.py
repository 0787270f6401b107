"""Staff pages of purchasing: goods in `goods`, orders in `orders`, checkout in `checkout`.

The dashboard, which everyone lands on, is in the reports app (reports.views).
"""
