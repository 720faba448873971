"""Language knowledge as data: what the toolkit knows about Dutch (`nl`) and English (`en`)."""
