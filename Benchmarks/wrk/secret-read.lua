-- GET a secret with the API key in QM_READ_KEY.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("QM_READ_KEY")
