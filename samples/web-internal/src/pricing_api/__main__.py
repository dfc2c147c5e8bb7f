"""`python -m pricing_api` runs the service."""

from pricing_api.main import main

main()
