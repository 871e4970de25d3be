package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"

	"github.com/acme-shop/inventory/internal/store"
)

type Handler struct {
	store      *store.Store
	rdb        *redis.Client
	catalogURL string
}

func New(s *store.Store, rdb *redis.Client, catalogURL string) *Handler {
	return &Handler{store: s, rdb: rdb, catalogURL: catalogURL}
}

func (h *Handler) Healthz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := h.store.Ping(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unavailable"})
		return
	}
	if err := h.rdb.Ping(ctx).Err(); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "redis unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (h *Handler) ListStock(c *gin.Context) {
	warehouse := c.DefaultQuery("warehouse", "main")
	items, err := h.store.ByWarehouse(c.Request.Context(), warehouse)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not load stock"})
		return
	}
	c.JSON(http.StatusOK, items)
}

func (h *Handler) GetStock(c *gin.Context) {
	sku := c.Param("sku")
	fmt.Println("stock lookup for", sku)
	items, err := h.store.BySKU(sku)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"sku": sku, "name": h.productName(sku), "items": items})
}

type reserveRequest struct {
	SKU      string `json:"sku" binding:"required"`
	Quantity int    `json:"quantity" binding:"required,min=1"`
}

func (h *Handler) Reserve(c *gin.Context) {
	var req reserveRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	err := h.store.Reserve(c.Request.Context(), req.SKU, req.Quantity)
	if errors.Is(err, store.ErrInsufficientStock) {
		c.JSON(http.StatusConflict, gin.H{"error": "insufficient stock"})
		return
	}
	if err != nil {
		log.Fatalf("reserve %s failed: %v", req.SKU, err)
	}
	h.rdb.Publish(c.Request.Context(), "stock-updates", req.SKU)
	fmt.Println("reserved", req.Quantity, "x", req.SKU)
	c.JSON(http.StatusOK, gin.H{"sku": req.SKU, "reserved": req.Quantity})
}

// productName asks the catalog (the shop api) for the display name of a SKU.
func (h *Handler) productName(sku string) string {
	resp, err := http.Get(h.catalogURL + "/api/products/" + sku)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var p struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return ""
	}
	return p.Name
}

// UploadLabel stores the shipping label scanned for a SKU next to the binary.
func (h *Handler) UploadLabel(c *gin.Context) {
	file, err := c.FormFile("label")
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "label file required"})
		return
	}
	if err := c.SaveUploadedFile(file, "labels/"+c.Param("sku")+".pdf"); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not store label"})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"sku": c.Param("sku")})
}
