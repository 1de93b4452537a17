"""Documents sent by id instead of text: partners' trusted documents and automatic persisted queries."""
