using System.Net;
using Learning.Api.Security;

namespace Learning.UnitTests.Security;

public sealed class ClientPartitionTests
{
    [Fact]
    public void An_ipv4_client_is_its_address() =>
        Assert.Equal("203.0.113.7", ClientPartition.Of(IPAddress.Parse("203.0.113.7")));

    [Fact]
    public void Two_ipv6_addresses_in_one_64_share_a_partition()
    {
        var first = ClientPartition.Of(IPAddress.Parse("2001:db8:1:2::1"));
        var second = ClientPartition.Of(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:fffe"));

        Assert.Equal("2001:db8:1:2::/64", first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Ipv6_addresses_in_different_64s_do_not_share_a_partition() =>
        Assert.NotEqual(ClientPartition.Of(IPAddress.Parse("2001:db8:1:2::1")), ClientPartition.Of(IPAddress.Parse("2001:db8:1:3::1")));

    [Fact]
    public void An_ipv4_mapped_ipv6_address_is_the_ipv4_client() =>
        Assert.Equal(ClientPartition.Of(IPAddress.Parse("203.0.113.7")), ClientPartition.Of(IPAddress.Parse("::ffff:203.0.113.7")));

    [Fact]
    public void A_connection_without_an_address_shares_one_partition() => Assert.Equal("unknown", ClientPartition.Of(null));
}
