using CareMessaging.Conversation.Paging;

namespace CareMessaging.Conversation.Tests.Paging;

public sealed class PageCursorTests
{
    [Fact]
    public void A_list_cursor_round_trips_to_the_microsecond()
    {
        var cursor = new ListCursor(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1230), Guid.NewGuid());

        Assert.True(ListCursor.TryParse(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("YzF8MTIzfHh5eg")]
    [InlineData("YzJ8MTIzfDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw")]
    public void Anything_else_is_not_a_list_cursor(string value)
    {
        Assert.False(ListCursor.TryParse(value, out _));
    }

    [Fact]
    public void An_export_cursor_round_trips()
    {
        var cursor = new ExportCursor(Guid.NewGuid());

        Assert.True(ExportCursor.TryParse(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.False(ExportCursor.TryParse("zzz", out _));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("4711", true)]
    [InlineData("0", false)]
    [InlineData("-3", false)]
    [InlineData("+3", false)]
    [InlineData("3.0", false)]
    [InlineData("abc", false)]
    public void A_message_cursor_is_a_sequence_number_from_1(string value, bool valid)
    {
        Assert.Equal(valid, MessageCursor.TryParse(value, out _));
    }
}
