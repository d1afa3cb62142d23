-- GET a secret with the gateway's API key from QM_GATEWAY_KEY.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("QM_GATEWAY_KEY")
