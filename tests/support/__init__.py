"""Test harness helpers: throwaway PostgreSQL cluster, databases per test, live server."""
