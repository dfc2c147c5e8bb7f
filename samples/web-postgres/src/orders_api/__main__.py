"""`python -m orders_api` runs the service."""

from orders_api.main import main

main()
