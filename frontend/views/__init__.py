from .core import dashboard, healthz

__all__ = ["dashboard", "healthz"]
