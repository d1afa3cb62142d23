-- POST /v1/authorize with one question; the admin token comes from QM_TOKEN.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("QM_TOKEN")
wrk.body = '{"subject":"gateway-service","action":"read","resource":"secret/gateway/proxy-auth/upstream"}'
