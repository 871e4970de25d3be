"""Weekly digest jobs, run by RQ workers (`rq worker emails`, see worker/rq-worker.sh)."""

from functools import partial

from redis import Redis
from rq.decorators import job as rq_job

rq_conn = Redis(host="redis", port=6379, socket_timeout=5)
job = partial(rq_job, connection=rq_conn)


@job("emails")
def send_digest_email(user_id):
    return user_id


@job("digests")
def build_digest(user_id):
    return user_id
