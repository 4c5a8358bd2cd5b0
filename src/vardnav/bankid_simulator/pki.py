"""The simulator's own little PKI: a CA, a server certificate and an RP client certificate.

Why generated locally: mutual TLS must be exercised in the demo and in every
test exactly as against BankID (the client pins a CA and presents a
certificate; the server demands one), without shipping private keys in the
repository. Generated on first start, reused afterwards.

The validity window is fixed (2020–2049) rather than "from now": tests freeze
the clock, and a certificate that starts in the frozen future would be refused.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOT_BEFORE = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2049, 12, 31, tzinfo=dt.UTC)

FILES = {
    "ca_cert": "ca.pem",
    "ca_key": "ca-key.pem",
    "server_cert": "server.pem",
    "server_key": "server-key.pem",
    "client_cert": "rp-client.pem",
    "client_key": "rp-client-key.pem",
}


@dataclass(frozen=True)
class Pki:
    directory: Path

    def path(self, name: str) -> Path:
        return self.directory / FILES[name]

    @property
    def ca_cert(self) -> Path:
        return self.path("ca_cert")

    @property
    def server_cert(self) -> Path:
        return self.path("server_cert")

    @property
    def server_key(self) -> Path:
        return self.path("server_key")

    @property
    def client_cert(self) -> Path:
        return self.path("client_cert")

    @property
    def client_key(self) -> Path:
        return self.path("client_key")

    def is_complete(self) -> bool:
        return all((self.directory / name).is_file() for name in FILES.values())


def ensure_pki(directory: Path) -> Pki:
    """Create the PKI in `directory` unless it is already there (idempotent, race-safe).

    Everything is written to a fresh sibling directory and renamed into place in
    one step, so two processes starting at once never mix two CAs.
    """
    directory = Path(directory)
    pki = Pki(directory)
    if pki.is_complete():
        return pki
    if directory.exists() and any(directory.iterdir()):
        raise RuntimeError(f"{directory} holds an incomplete BankID simulator PKI; delete it to regenerate")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        _generate(staging)
        try:
            os.rename(staging, directory)  # atomic; replaces an empty directory
        except OSError:
            if not pki.is_complete():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return pki


def _generate(target: Path) -> None:
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Vårdnav BankID-simulator CA")
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        _leaf(ca_cert, ca_key, server_key, "localhost", ExtendedKeyUsageOID.SERVER_AUTH)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.IPAddress(ipaddress.ip_address("::1")),
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    client_key = ec.generate_private_key(ec.SECP256R1())
    client_cert = _leaf(ca_cert, ca_key, client_key, "Vårdnav demo RP", ExtendedKeyUsageOID.CLIENT_AUTH).sign(
        ca_key, hashes.SHA256()
    )
    _write_cert(target / FILES["ca_cert"], ca_cert)
    _write_key(target / FILES["ca_key"], ca_key)
    _write_cert(target / FILES["server_cert"], server_cert)
    _write_key(target / FILES["server_key"], server_key)
    _write_cert(target / FILES["client_cert"], client_cert)
    _write_key(target / FILES["client_key"], client_key)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Vårdnav demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
    )


def _key_usage(*, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=not cert_sign,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _leaf(
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    key: ec.EllipticCurvePrivateKey,
    common_name: str,
    usage: x509.ObjectIdentifier,
) -> x509.CertificateBuilder:
    return (
        _builder(_name(common_name), ca_cert.subject, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
