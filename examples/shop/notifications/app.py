import logging
import os

from flask import Flask, jsonify, request

app = Flask(__name__)
logger = logging.getLogger("notifications")
SMTP_HOST = os.getenv("SMTP_HOST", "localhost")


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


@app.post("/notify")
def notify():
    payload = request.get_json(silent=True) or {}
    logger.info("queued notification for order %s via %s", payload.get("order_id"), SMTP_HOST)
    return jsonify(queued=True), 202
