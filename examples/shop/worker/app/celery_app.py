from celery import Celery
from celery.schedules import crontab

from .settings import REDIS_URL

celery = Celery("shop-worker", broker=REDIS_URL, backend=REDIS_URL, include=["app.tasks"])

celery.conf.timezone = "UTC"
celery.conf.beat_schedule = {
    "enrich-product-descriptions": {
        "task": "app.tasks.enrich_product_descriptions",
        "schedule": 60.0,
    },
    "refresh-recommendations": {
        "task": "app.tasks.refresh_recommendations",
        "schedule": crontab(minute=15, hour="*/6"),
    },
}
