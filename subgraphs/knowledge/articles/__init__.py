"""Knowledge-base articles: FAQs, guides, troubleshooting pages and release notes."""
