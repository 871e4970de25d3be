import os

DB_PASSWORD = "Pr0d-Passw0rd-2024!"
DATABASE_URL = os.getenv(
    "APP_DATABASE_URL", f"postgresql://shop:{DB_PASSWORD}@postgres:5432/shop"
)

REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")

INVENTORY_URL = os.getenv("INVENTORY_URL", "http://inventory:8081")
INVENTORY_API_KEY = os.getenv("INVENTORY_API_KEY")

OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
OPENAI_MODEL = os.getenv("OPENAI_MODEL", "gpt-4o-mini")

WORKER_ADMIN_TOKEN = os.getenv("WORKER_ADMIN_TOKEN", "worker-admin-dev-token")
