from sqlalchemy import Boolean, Column, DateTime, Float, Integer, String, Text, func

from .db import Base


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(64), unique=True, nullable=False)
    name = Column(String(200), nullable=False)
    category = Column(String(64), nullable=False)
    description = Column(Text)
    price_cents = Column(Integer, nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), server_default=func.now())


class Recommendation(Base):
    __tablename__ = "recommendations"

    id = Column(Integer, primary_key=True)
    sku = Column(String(64), index=True, nullable=False)
    related_sku = Column(String(64), nullable=False)
    score = Column(Float, nullable=False)
