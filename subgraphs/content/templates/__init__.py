"""Templates: reusable bodies with ``{{variable}}`` placeholders, validated when saved and when filled."""
