"""Personal data in events, sealed with a key per person so that destroying the key erases it
(crypto-shredding): the events stay, their personal fields become unreadable everywhere."""
