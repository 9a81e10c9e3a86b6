.PHONY: run test setup lint bench
run:        ## set up and serve the app on http://localhost:8501 (SQLite, demo data)
	scripts/run.sh
test:       ## set up and run the whole test suite (starts its own PostgreSQL)
	scripts/test.sh
setup:
	scripts/setup.sh --test
lint:
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
bench:      ## every benchmark; the scale benchmark on the demo only (bench/scale.py --sites 50,200 for the large ones)
	for b in bench/*.py; do case $$b in bench/scale*.py) ;; *) .venv/bin/python $$b || exit 1;; esac; done
	.venv/bin/python bench/scale.py --sites demo
