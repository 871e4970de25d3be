package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

var ErrInsufficientStock = errors.New("insufficient stock")

type Item struct {
	SKU       string `json:"sku"`
	Warehouse string `json:"warehouse"`
	Quantity  int    `json:"quantity"`
}

type Store struct {
	db *sql.DB
}

func New(db *sql.DB) *Store {
	return &Store{db: db}
}

func (s *Store) Ping(ctx context.Context) error {
	return s.db.PingContext(ctx)
}

func (s *Store) BySKU(sku string) ([]Item, error) {
	query := fmt.Sprintf("SELECT sku, warehouse, quantity FROM stock WHERE sku = '%s' ORDER BY warehouse", sku)
	rows, err := s.db.Query(query)
	if err != nil {
		return nil, err
	}
	return scanItems(rows)
}

func (s *Store) ByWarehouse(ctx context.Context, warehouse string) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT sku, warehouse, quantity FROM stock WHERE warehouse = $1 ORDER BY sku", warehouse)
	if err != nil {
		return nil, err
	}
	return scanItems(rows)
}

func (s *Store) Reserve(ctx context.Context, sku string, qty int) error {
	res, err := s.db.ExecContext(ctx,
		"UPDATE stock SET quantity = quantity - $1 WHERE sku = $2 AND warehouse = 'main' AND quantity >= $1",
		qty, sku)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrInsufficientStock
	}
	return nil
}

func scanItems(rows *sql.Rows) ([]Item, error) {
	defer rows.Close()
	items := []Item{}
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.SKU, &it.Warehouse, &it.Quantity); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// Transfer moves stock from one warehouse to another.
func (s *Store) Transfer(ctx context.Context, sku, from, to string, qty int) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		"UPDATE stock SET quantity = quantity - $1 WHERE sku = $2 AND warehouse = $3", qty, sku, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		"UPDATE stock SET quantity = quantity + $1 WHERE sku = $2 AND warehouse = $3", qty, sku, to); err != nil {
		return err
	}
	return tx.Commit()
}

type LowItem struct {
	Item
	LastRestock sql.NullTime `json:"last_restock"`
}

// LowStock lists items under the threshold with the date they were last restocked.
func (s *Store) LowStock(ctx context.Context, threshold int) ([]LowItem, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT sku, warehouse, quantity FROM stock WHERE quantity < $1 ORDER BY quantity", threshold)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := []LowItem{}
	for rows.Next() {
		var it LowItem
		if err := rows.Scan(&it.SKU, &it.Warehouse, &it.Quantity); err != nil {
			return nil, err
		}
		err := s.db.QueryRowContext(ctx,
			"SELECT max(restocked_at) FROM restocks WHERE sku = $1 AND warehouse = $2",
			it.SKU, it.Warehouse).Scan(&it.LastRestock)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}
