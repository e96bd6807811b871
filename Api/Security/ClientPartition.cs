using System.Net;
using System.Net.Sockets;

namespace Learning.Api.Security;

/// <summary>
/// Whose quota a client's request counts against when it has no user: its IPv4 address, or its IPv6 /64. One IPv6
/// subscriber or host gets a whole /64, so per-address quotas would let it walk through 2^64 fresh buckets.
/// </summary>
public static class ClientPartition
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var prefix = address.GetAddressBytes();
        prefix.AsSpan(8).Clear();
        return $"{new IPAddress(prefix)}/64";
    }
}
