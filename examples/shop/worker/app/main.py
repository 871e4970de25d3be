import sys

import requests
from fastapi import FastAPI, Header, HTTPException
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import models  # noqa: F401  (registers the tables)
from .db import Base, SessionLocal, engine
from .settings import INVENTORY_API_KEY, INVENTORY_URL, WORKER_ADMIN_TOKEN
from .tasks import refresh_recommendations

app = FastAPI(title="shop-worker")

app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

Base.metadata.create_all(bind=engine)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.get("/products/{sku}/summary")
def product_summary(sku: str):
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(f"SELECT sku, name, description FROM products WHERE sku = '{sku}'")
        row = cursor.fetchone()
    finally:
        conn.close()
    if row is None:
        raise HTTPException(status_code=404, detail="unknown sku")
    return {"sku": row[0], "name": row[1], "description": row[2]}


@app.get("/products/{sku}/related")
def related_products(sku: str, limit: int = 10):
    conn = engine.raw_connection()
    try:
        cursor = conn.cursor()
        cursor.execute(
            "SELECT related_sku, score FROM recommendations WHERE sku = %s ORDER BY score DESC LIMIT %s",
            (sku, min(limit, 50)),
        )
        rows = cursor.fetchall()
    finally:
        conn.close()
    return [{"sku": r[0], "score": r[1]} for r in rows]


@app.get("/stock/{sku}")
def stock(sku: str):
    resp = requests.get(f"{INVENTORY_URL}/stock/{sku}", headers={"X-Api-Key": INVENTORY_API_KEY})
    resp.raise_for_status()
    return resp.json()


@app.post("/recommendations/rebuild")
def rebuild_recommendations(x_admin_token: str = Header(default="")):
    if x_admin_token != WORKER_ADMIN_TOKEN:
        raise HTTPException(status_code=401, detail="invalid admin token")
    try:
        with SessionLocal() as session:
            session.execute(text("SELECT 1 FROM recommendations LIMIT 1"))
    except SQLAlchemyError as exc:
        print(f"database unavailable, stopping worker: {exc}")
        sys.exit(1)
    refresh_recommendations.delay()
    print("recommendation rebuild queued")
    return {"queued": True}


# Webhook test and image proxy (added later).
from urllib.parse import urlparse  # noqa: E402

ALLOWED_IMAGE_HOSTS = {"images.acme-shop.example"}


@app.post("/webhooks/test")
def test_webhook(url: str, x_admin_token: str = Header(default="")):
    if x_admin_token != WORKER_ADMIN_TOKEN:
        raise HTTPException(status_code=403, detail="forbidden")
    resp = requests.get(url, timeout=5)
    return {"status": resp.status_code}


@app.get("/images/proxy")
def proxy_image(url: str, x_admin_token: str = Header(default="")):
    if x_admin_token != WORKER_ADMIN_TOKEN:
        raise HTTPException(status_code=403, detail="forbidden")
    if urlparse(url).hostname not in ALLOWED_IMAGE_HOSTS:
        raise HTTPException(status_code=400, detail="host not allowed")
    return {"status": requests.get(url, timeout=5).status_code}
