#!/usr/bin/env python3
"""Generate a synthetic monorepo of TS, Python and Go services for shipready's benchmarks.

Usage: synth.py OUT_DIR [--lines N] [--seed S]

Deterministic for a given seed. Each service is a realistic mix: route files, DB access
(some parameterised, some built from strings), env reads, logging, clients, plus plain
library code that contains none of the strings any rule looks for (most real code is like
that). Roughly a third of the lines per language.
"""
import argparse
import os
import random

TS_ROUTE = """import {{ Router }} from 'express';
import {{ pool }} from '../db';

const router = Router();

router.get('/{name}', async (req, res, next) => {{
  try {{
    const rows = await pool.query('SELECT * FROM {name} WHERE tenant_id = $1 LIMIT 50', [req.query.tenant]);
    res.json(rows.rows);
  }} catch (err) {{
    next(err);
  }}
}});

router.get('/{name}/:id', async (req, res) => {{
  const row = await pool.query(`SELECT * FROM {name} WHERE id = '${{req.params.id}}'`);
  console.log('fetched {name}', req.params.id);
  res.json(row.rows[0]);
}});

router.post('/{name}', async (req, res, next) => {{
  try {{
    const {{ title, amount }} = req.body;
    const out = await pool.query('INSERT INTO {name} (title, amount) VALUES ($1, $2) RETURNING id', [title, amount]);
    res.status(201).json(out.rows[0]);
  }} catch (err) {{
    next(err);
  }}
}});

export default router;
"""

TS_LIB = """export interface {cls}Options {{
  readonly retries: number;
  readonly label: string;
}}

export function {fn}(values: number[], opts: {cls}Options): number {{
  let total = 0;
  for (const v of values) {{
    if (v > opts.retries) {{
      total += v * 2;
    }} else {{
      total -= v;
    }}
  }}
  return total;
}}

export class {cls} {{
  private items: Map<string, number> = new Map();

  add(key: string, value: number): void {{
    const prev = this.items.get(key) ?? 0;
    this.items.set(key, prev + value);
  }}

  summary(): string {{
    const parts: string[] = [];
    this.items.forEach((v, k) => parts.push(`${{k}}=${{v}}`));
    return parts.join(',');
  }}
}}
"""

TS_INDEX = """import express from 'express';
import cors from 'cors';
{imports}

const app = express();
app.use(cors());
app.use(express.json());
{mounts}
app.get('/healthz', (req, res) => res.send('ok'));

const port = Number(process.env.PORT || 3000);
const secret = process.env.JWT_SECRET || 'dev-secret';
app.listen(port, () => console.log('listening', port, secret.length));
"""

TS_DB = """import { Pool } from 'pg';

export const pool = new Pool({ connectionString: process.env.DATABASE_URL });
pool.on('error', (err) => {
  console.error(err);
  process.exit(-1);
});
"""

PY_ROUTE = """import os

from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/{name}")
LIMIT = int(os.getenv("{upper}_LIMIT", "50"))


@router.get("/")
def list_{name}(cursor=None):
    cursor.execute("SELECT * FROM {name} LIMIT %s", (LIMIT,))
    return cursor.fetchall()


@router.get("/{{item_id}}")
def get_{name}(item_id: str, cursor=None):
    cursor.execute(f"SELECT * FROM {name} WHERE id = '{{item_id}}'")
    row = cursor.fetchone()
    if row is None:
        raise HTTPException(status_code=404)
    print("fetched", item_id)
    return row
"""

PY_LIB = """from dataclasses import dataclass, field


@dataclass
class {cls}:
    label: str
    values: list = field(default_factory=list)

    def add(self, value):
        if value > 10:
            self.values.append(value * 2)
        else:
            self.values.append(value - 1)

    def total(self):
        acc = 0
        for v in self.values:
            acc += v
        return acc


def {fn}(items, threshold=3):
    out = []
    for i, item in enumerate(items):
        if i % threshold == 0:
            out.append(item)
    return out
"""

GO_HANDLER = """package handlers

import (
	"database/sql"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

type {cls}Handler struct {{
	DB *sql.DB
}}

func (h *{cls}Handler) List(c *gin.Context) {{
	rows, err := h.DB.Query("SELECT id, name FROM {name} WHERE tenant = $1", c.Query("tenant"))
	if err != nil {{
		c.JSON(http.StatusInternalServerError, gin.H{{"error": "db"}})
		return
	}}
	defer rows.Close()
	c.JSON(http.StatusOK, gin.H{{"ok": true}})
}}

func (h *{cls}Handler) Get(c *gin.Context) {{
	q := fmt.Sprintf("SELECT id, name FROM {name} WHERE id = '%s'", c.Param("id"))
	row := h.DB.QueryRow(q)
	fmt.Println("get {name}", c.Param("id"))
	c.JSON(http.StatusOK, row)
}}
"""

GO_LIB = """package util

import "strings"

// {cls} accumulates labelled values.
type {cls} struct {{
	Label  string
	Values []int
}}

// Add appends a value.
func (a *{cls}) Add(v int) {{
	if v > 10 {{
		a.Values = append(a.Values, v*2)
	}} else {{
		a.Values = append(a.Values, v-1)
	}}
}}

// {fn} joins parts.
func {fn}(parts []string) string {{
	var b strings.Builder
	for i, p := range parts {{
		if i > 0 {{
			b.WriteString(",")
		}}
		b.WriteString(p)
	}}
	return b.String()
}}
"""

GO_MAIN = """package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	_ = db
	r := gin.Default()
	api := r.Group("/api")
	api.GET("/items", func(c *gin.Context) { c.JSON(200, nil) })
	r.GET("/healthz", func(c *gin.Context) { c.String(200, "ok") })
	log.Fatal(http.ListenAndServe(":8080", r))
}
"""


def lines(s):
    return s.count("\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return lines(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--lines", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    target = args.lines
    per_lang = target // 3
    total = 0
    svc = 0
    counts = {"ts": 0, "py": 0, "go": 0}
    while min(counts.values()) < per_lang:
        svc += 1
        if counts["ts"] < per_lang:
            base = f"{args.out}/services/ts-{svc:03d}"
            write(f"{base}/package.json", '{"name":"ts-%03d","dependencies":{"express":"^4.19.2","pg":"^8.11.0","cors":"^2.8.5"}}\n' % svc)
            names = [f"res{svc}x{i}" for i in range(rnd.randint(3, 8))]
            n = write(f"{base}/src/db.ts", TS_DB)
            n += write(f"{base}/src/index.ts", TS_INDEX.format(
                imports="\n".join(f"import {x}Router from './routes/{x}';" for x in names),
                mounts="\n".join(f"app.use('/api', {x}Router);" for x in names)))
            for x in names:
                n += write(f"{base}/src/routes/{x}.ts", TS_ROUTE.format(name=x))
            for i in range(rnd.randint(20, 40)):
                n += write(f"{base}/src/lib/mod{i}.ts", TS_LIB.format(cls=f"Acc{svc}x{i}", fn=f"compute{svc}x{i}"))
            counts["ts"] += n
        if counts["py"] < per_lang:
            base = f"{args.out}/services/py-{svc:03d}"
            write(f"{base}/requirements.txt", "fastapi==0.110.0\nuvicorn==0.29.0\n")
            n = 0
            for i in range(rnd.randint(3, 8)):
                name = f"items{svc}x{i}"
                n += write(f"{base}/app/routes/{name}.py", PY_ROUTE.format(name=name, upper=name.upper()))
            for i in range(rnd.randint(20, 40)):
                n += write(f"{base}/app/lib/mod{i}.py", PY_LIB.format(cls=f"Acc{svc}x{i}", fn=f"pick{svc}x{i}"))
            counts["py"] += n
        if counts["go"] < per_lang:
            base = f"{args.out}/services/go-{svc:03d}"
            write(f"{base}/go.mod", f"module example.com/go{svc}\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n")
            n = write(f"{base}/cmd/server/main.go", GO_MAIN)
            for i in range(rnd.randint(3, 8)):
                n += write(f"{base}/internal/handlers/h{i}.go", GO_HANDLER.format(cls=f"Res{svc}x{i}", name=f"res{svc}x{i}"))
            for i in range(rnd.randint(20, 40)):
                n += write(f"{base}/internal/util/u{i}.go", GO_LIB.format(cls=f"Acc{svc}x{i}", fn=f"Join{svc}x{i}"))
            counts["go"] += n
    total = sum(counts.values())
    print(f"{total} lines ({counts['ts']} ts, {counts['py']} py, {counts['go']} go) in {svc} service triples under {args.out}")


if __name__ == "__main__":
    main()
