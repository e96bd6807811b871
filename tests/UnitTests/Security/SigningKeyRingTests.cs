using Learning.Api.Security;

namespace Learning.UnitTests.Security;

public sealed class SigningKeyRingTests
{
    private const string Current = "the-current-signing-key-0123456789-abcdef";
    private const string Previous = "the-previous-signing-key-0123456789-abcdef";

    [Fact]
    public void The_current_key_signs_and_every_key_is_accepted()
    {
        var ring = new SigningKeyRing(Current, [Previous]);

        Assert.Equal(SigningKeyRing.IdOf(Current), ring.Current.Id);
        Assert.Equal([SigningKeyRing.IdOf(Current), SigningKeyRing.IdOf(Previous)], ring.All.Select(k => k.Id));
        Assert.Same(ring.All[1], ring.Find(SigningKeyRing.IdOf(Previous)));
        Assert.Null(ring.Find("unknown"));
    }

    [Fact]
    public void Key_ids_are_stable_distinct_and_do_not_contain_the_key()
    {
        Assert.Equal(SigningKeyRing.IdOf(Current), SigningKeyRing.IdOf(Current));
        Assert.NotEqual(SigningKeyRing.IdOf(Current), SigningKeyRing.IdOf(Previous));
        Assert.DoesNotContain(SigningKeyRing.IdOf(Current), Current);
    }
}
