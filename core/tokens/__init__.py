"""Bearer tokens for systems that call the platform: personal access tokens for
the API (/api/v1) and the directory's provisioning token (SCIM). Only a hash of
each secret is kept; the plaintext is shown once, to the person who made it."""
