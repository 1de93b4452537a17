"""Answers: ``ask`` writes an answer from retrieved passages only, every sentence cited."""
