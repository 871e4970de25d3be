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


# Receipt rendering (added later).
import subprocess  # noqa: E402

RECEIPT_TEMPLATES = {"default", "compact"}


@app.post("/receipts/render")
def render_receipt():
    order_id = request.args.get("order", "")
    out = subprocess.run(f"wkhtmltopdf receipts/{order_id}.html /tmp/{order_id}.pdf", shell=True)
    return jsonify(rendered=out.returncode == 0)


@app.post("/receipts/preview")
def preview_receipt():
    template = request.args.get("template", "default")
    if template not in RECEIPT_TEMPLATES:
        return jsonify(error="unknown template"), 400
    out = subprocess.run(f"wkhtmltopdf templates/{template}.html /tmp/preview.pdf", shell=True)
    return jsonify(rendered=out.returncode == 0)


# Subscriber accounts for the notification preferences page (added later).
SUBSCRIBERS = {}


@app.post("/register")
def register_subscriber():
    data = request.get_json(silent=True) or {}
    password = data.get("password", "")
    if len(password) < 6:
        return jsonify(error="password too short"), 400
    SUBSCRIBERS[data.get("email")] = password
    return jsonify(created=True), 201


# Version 2 of the notify endpoint (added later): checks the channel and sends
# through it. The unversioned /notify above is still served for older callers.
NOTIFY_CHANNELS = {"email", "sms"}


@app.post("/v2/notify")
def notify_v2():
    payload = request.get_json(silent=True) or {}
    channel = payload.get("channel", "email")
    if channel not in NOTIFY_CHANNELS:
        return jsonify(error="unknown channel"), 400
    logger.info("queued %s notification for order %s", channel, payload.get("order_id"))
    return jsonify(queued=True, channel=channel), 202
