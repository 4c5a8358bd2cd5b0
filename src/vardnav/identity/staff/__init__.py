"""Staff login: OpenID Connect against SITHS eID (Inera's IdP or a region's), then unit choice (ID-5, ORG-4)."""
