from jiandu.core.jobs import register_job  # noqa: F401
