using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CareMessaging.AppHost.Infrastructure.Processes;

/// <summary>
/// The certificates behind encrypted connections to the stores (<c>Infrastructure:Tls</c>,
/// docs/decisions/0056): a certificate authority and a server certificate signed by it, as PEM
/// files <c>ca.crt</c>, <c>server.crt</c> and <c>server.key</c>. They are taken from the folder
/// <c>Infrastructure:TlsCertificates</c> when it is set (the hospital's own; external mode needs only
/// <c>ca.crt</c>), else generated into the state folder's <c>tls/</c> for localhost, 127.0.0.1 and ::1.
/// A generated authority signs once and its key is never written anywhere, so nothing can sign
/// another certificate the services would trust.
/// </summary>
public sealed class StoreCertificates
{
    public const string EnabledKey = "Infrastructure:Tls";
    public const string DirectoryKey = "Infrastructure:TlsCertificates";
    public const string AuthorityFileName = "ca.crt";
    public const string ServerCertificateFileName = "server.crt";
    public const string ServerKeyFileName = "server.key";

    // A generated set is made again this long before the server certificate expires.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly Lazy<string> _serverThumbprint;

    private StoreCertificates(string directory)
    {
        Directory = directory;
        _serverThumbprint = new(() =>
        {
            using var server = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Directory, ServerCertificateFileName)));
            return server.GetCertHashString(HashAlgorithmName.SHA256);
        });
    }

    /// <summary>The folder with the PEM files, which the launchers are given as <c>CM_TLS_DIR</c>.</summary>
    public string Directory { get; }

    public string AuthorityPath => Path.Combine(Directory, AuthorityFileName);

    /// <summary>
    /// The certificates when <c>Infrastructure:Tls</c> is on, else null. With
    /// <paramref name="serverCertificateNeeded"/> false (servers run by someone else) only the
    /// authority must exist.
    /// </summary>
    public static StoreCertificates? Open(IConfiguration configuration, string stateDirectory, bool serverCertificateNeeded = true)
    {
        if (!configuration.GetValue<bool>(EnabledKey))
        {
            return null;
        }

        if (configuration[DirectoryKey] is { Length: > 0 } configured)
        {
            var given = new StoreCertificates(Path.GetFullPath(configured));
            string[] needed = serverCertificateNeeded ? [AuthorityFileName, ServerCertificateFileName, ServerKeyFileName] : [AuthorityFileName];
            var missing = needed.Where(name => !File.Exists(Path.Combine(given.Directory, name))).ToList();
            return missing.Count == 0
                ? given
                : throw new DistributedApplicationException(
                    $"{DirectoryKey} is {given.Directory}, which has no {string.Join(", ", missing)}. Put the PEM files there " +
                    $"(the authority that signed the servers' certificates as {AuthorityFileName}), or leave {DirectoryKey} unset " +
                    "to have certificates for the local servers generated into the state folder.");
        }

        if (!serverCertificateNeeded)
        {
            throw new DistributedApplicationException(
                $"{EnabledKey} is on for servers run by someone else: set {DirectoryKey} to a folder holding {AuthorityFileName}, " +
                "the certificate authority that signed their certificates.");
        }

        var generated = new StoreCertificates(Path.Combine(stateDirectory, "tls"));
        if (!generated.IsCurrent())
        {
            generated.Generate();
        }

        return generated;
    }

    /// <summary>
    /// Accepts exactly the server certificate the local servers were given: the AppHost's own
    /// readiness probes pin it rather than trust an authority.
    /// </summary>
    public bool IsServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == _serverThumbprint.Value;

    private bool IsCurrent()
    {
        var server = Path.Combine(Directory, ServerCertificateFileName);
        if (!File.Exists(AuthorityPath) || !File.Exists(server) || !File.Exists(Path.Combine(Directory, ServerKeyFileName)))
        {
            return false;
        }

        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(server));
        return certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow > RenewBefore;
    }

    private void Generate()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var now = DateTimeOffset.UtcNow;

        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=CareMessaging local stores CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, critical: false));
        using var authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        // 397 days: the longest validity clients accept for a server certificate.
        using var server = serverRequest.Create(authority, now.AddMinutes(-5), now.AddDays(397), RandomNumberGenerator.GetBytes(16));

        Write(ServerKeyFileName, serverKey.ExportPkcs8PrivateKeyPem(), secret: true);
        Write(ServerCertificateFileName, server.ExportCertificatePem(), secret: false);
        Write(AuthorityFileName, authority.ExportCertificatePem(), secret: false);
    }

    private void Write(string name, string pem, bool secret)
    {
        var file = Path.Combine(Directory, name);
        File.WriteAllText(file, pem + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, secret
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
