package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	_ "github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/acme-shop/inventory/internal/handlers"
	"github.com/acme-shop/inventory/internal/store"
)

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}

	rdb := redis.NewClient(&redis.Options{Addr: getenv("REDIS_ADDR", "localhost:6379")})
	apiKey := getenv("INVENTORY_API_KEY", "inventory-dev-key")

	h := handlers.New(store.New(db), rdb, getenv("CATALOG_URL", "http://api:3000"))

	r := gin.Default()
	r.GET("/healthz", h.Healthz)

	stock := r.Group("/stock", handlers.RequireAPIKey(apiKey))
	stock.GET("", h.ListStock)
	stock.GET("/:sku", h.GetStock)
	stock.POST("/reserve", h.Reserve)

	log.Println("inventory listening on :8081 with api key", apiKey)
	if err := http.ListenAndServe(":8081", r); err != nil {
		log.Fatal(err)
	}
}
