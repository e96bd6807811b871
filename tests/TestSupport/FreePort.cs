using System.Net;
using System.Net.Sockets;

namespace Learning.TestSupport;

public static class FreePort
{
    /// <summary>A port nobody listens on right now; each co-hosted silo in a test needs its own pair.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
