"""Order notifications: a Celery task for pushes and a Redis stream of events per tenant."""

import redis

from .celery_app import celery
from .settings import REDIS_URL

events_redis = redis.Redis.from_url(REDIS_URL, socket_timeout=5, retry_on_timeout=True)


@celery.task(name="app.notifications.send_push", autoretry_for=(ConnectionError,), max_retries=5)
def send_push(user_id, message):
    events_redis.publish(f"push:{user_id}", message)


def order_shipped(user_id, text):
    send_push.delay(user_id=user_id, body=text)


def publish_event(tenant, event):
    events_redis.xadd(f"events:{tenant}", event)


def read_events():
    return events_redis.xreadgroup("notifier", "worker-1", {"events": ">"}, count=10, block=5000)
