#!/bin/sh
# Starts the RQ workers of the digest queues.
exec rq worker --url redis://redis:6379 emails digests
