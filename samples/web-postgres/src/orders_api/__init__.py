"""orders-api: an HTTP API on ECS Fargate behind an Application Load Balancer."""

from importlib.metadata import version

__version__ = version("orders-api")
