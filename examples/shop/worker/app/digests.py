from .digest_jobs import build_digest, send_digest_email


def schedule_digests(user_ids):
    for user_id in user_ids:
        send_digest_email.delay(user_id)
        build_digest.delay(user_id)
