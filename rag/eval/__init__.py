"""Evaluation utilities and hand-checked gold data for the fact-checking RAG system."""
