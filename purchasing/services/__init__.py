"""purchasing services: every call to the upstream and every change it brings, one function
per business operation (goods and the product cache in `goods`, landed cost estimates in
`landed_cost`). Views call these functions; they never call the upstream client themselves.
"""
