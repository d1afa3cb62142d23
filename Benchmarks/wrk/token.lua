-- POST /oauth2/token, client_credentials with client_secret_basic; credentials from QM_BASIC.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("QM_BASIC")
wrk.body = "grant_type=client_credentials"
