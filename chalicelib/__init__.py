"""gk-directory: the directory and contact service of the NRW initiative "Gemeinsam klappt's"."""
