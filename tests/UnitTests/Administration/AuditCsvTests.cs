using Learning.Api.Audit;
using Learning.Audit;

namespace Learning.UnitTests.Administration;

public sealed class AuditCsvTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("=SUM(1,2)", "\"'=SUM(1,2)\"")]
    [InlineData("=\"x\"", "\"'=\"\"x\"\"\"")]
    [InlineData("a=1", "a=1")]
    [InlineData("2001:db8::7", "2001:db8::7")]
    public void Cells_are_quoted_as_RFC_4180_says_and_formulas_are_defused(string? value, string expected) =>
        Assert.Equal(expected, AuditCsv.Cell(value));

    [Fact]
    public void A_row_joins_its_cells_with_commas_and_ends_with_CRLF() =>
        Assert.Equal("a,,\"b,c\",'-x\r\n", AuditCsv.Row(["a", null, "b,c", "-x"]));

    [Fact]
    public void An_entry_is_written_in_the_header_order_with_UTC_timestamps()
    {
        var id = Guid.NewGuid();
        var userId = Guid.NewGuid();
        var entry = new AuditEntry(id, userId, "u@example.com", "login", "198.51.100.7", "curl/8, like", "{\"a\":1}",
            new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.FromHours(1)));

        Assert.Equal("id,created_at,user_id,user_email,action,ip_address,user_agent,metadata\r\n", AuditCsv.Header);
        Assert.Equal($"{id},2026-11-24T10:00:00Z,{userId},u@example.com,login,198.51.100.7,\"curl/8, like\",\"{{\"\"a\"\":1}}\"\r\n",
            AuditCsv.Row(entry));
    }

    [Fact]
    public void Fractions_of_a_second_are_kept_and_an_entry_without_a_user_leaves_its_cells_empty()
    {
        var entry = new AuditEntry(Guid.Empty, null, null, "login_failed", null, null, "{}",
            new DateTimeOffset(2026, 11, 24, 10, 0, 0, 250, TimeSpan.Zero));

        Assert.Equal($"{Guid.Empty},2026-11-24T10:00:00.25Z,,,login_failed,,,{{}}\r\n", AuditCsv.Row(entry));
    }
}
