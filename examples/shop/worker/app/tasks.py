from openai import OpenAI
from sqlalchemy import text

from .celery_app import celery
from .db import SessionLocal
from .models import Product
from .settings import OPENAI_API_KEY, OPENAI_MODEL

client = OpenAI(api_key=OPENAI_API_KEY)

PROMPT = (
    "Write a friendly two-sentence description for an online shop product. "
    "Product name: {name}. Category: {category}."
)


@celery.task(name="app.tasks.enrich_product_descriptions")
def enrich_product_descriptions():
    with SessionLocal() as session:
        products = session.query(Product).filter(Product.description.is_(None)).all()
        for product in products:
            completion = client.chat.completions.create(
                model=OPENAI_MODEL,
                messages=[
                    {"role": "user", "content": PROMPT.format(name=product.name, category=product.category)}
                ],
            )
            product.description = completion.choices[0].message.content
            print(f"enriched {product.sku}")
        session.commit()


@celery.task(name="app.tasks.refresh_recommendations")
def refresh_recommendations():
    with SessionLocal() as session:
        session.execute(text("DELETE FROM recommendations"))
        session.execute(
            text(
                """
                INSERT INTO recommendations (sku, related_sku, score)
                SELECT a.sku, b.sku, COUNT(*)
                FROM order_items a
                JOIN order_items b ON a.order_id = b.order_id AND a.sku <> b.sku
                GROUP BY a.sku, b.sku
                """
            )
        )
        session.commit()
    print("recommendations refreshed")
