using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Learning.TestSupport;

/// <summary>Raw connections to a silo's ports, to see what it speaks and whom it keeps.</summary>
public static class TlsProbe
{
    /// <summary>A TLS handshake presenting <paramref name="clientCertificate"/>; the server's certificate is not judged here.</summary>
    public static async Task<SslStream> HandshakeAsync(int port, X509Certificate2 clientCertificate)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ClientCertificates = [clientCertificate] });
        return tls;
    }

    /// <summary>Whether the silo drops a connection that starts with plain bytes where a TLS ClientHello belongs.</summary>
    public static async Task<bool> PlainTextIsDroppedAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(new byte[] { 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
        return await ClosedWithinAsync(stream, TimeSpan.FromSeconds(10));
    }

    /// <summary>True when the other side closes (or breaks) the connection within <paramref name="wait"/>.</summary>
    public static async Task<bool> ClosedWithinAsync(Stream stream, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await stream.ReadAsync(new byte[256], timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception exception) when (exception is IOException or AuthenticationException)
        {
            return true;
        }
    }
}
