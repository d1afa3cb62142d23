-- GET with the API key in QM_READ_KEY (secret and credential reads).
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("QM_READ_KEY")
