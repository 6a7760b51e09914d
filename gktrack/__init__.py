"""gktrack: 政务公开工作要点任务跟踪 (plans as YAML files in a git repository)."""

__version__ = "0.1.0"
