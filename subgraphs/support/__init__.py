"""Support subgraph: tickets and their messages; adds `Product.tickets` and `User.assignedTickets`."""
