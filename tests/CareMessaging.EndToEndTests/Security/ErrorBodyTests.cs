using System.Net;
using System.Net.Http.Headers;

namespace CareMessaging.EndToEndTests.Security;

/// <summary>Whatever goes wrong, an error answer says what to do and nothing about the server: no stack trace, no file path, no echoed header.</summary>
[Collection(StackCollection.Name)]
public sealed class ErrorBodyTests(CareMessagingStack stack)
{
    private const string SecretCookie = "cm.session=CookieValueThatMustNeverBeEchoed";

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json")]
    [InlineData("*/*")]
    public async Task A_body_over_the_limit_is_a_413_without_the_developer_page(string accept)
    {
        using var client = stack.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
        {
            Content = new StringContent(new string('x', 300 * 1024)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd(accept);
        request.Headers.TryAddWithoutValidation("Cookie", SecretCookie);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertRevealsNothing(body);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413_without_the_developer_page()
    {
        var patient = DemoUsers.Patients[24];
        using var browser = GatewayBrowser.For(stack);
        await browser.SignInAsync(patient.UserName, DemoUsers.Password);
        await browser.GetSessionAsync();

        using var response = await SendChunkedOverTheLimitAsync(browser.Client);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertRevealsNothing(body);
    }

    /// <summary>
    /// The gateway answers 413 as soon as the limit is passed and closes the connection. A client
    /// still writing the rest of the body then gets a broken pipe instead of the answer, as often
    /// as the machine is slow: that attempt shows nothing, so it is made again, a few times at most.
    /// </summary>
    private static async Task<HttpResponseMessage> SendChunkedOverTheLimitAsync(HttpClient client)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations")
            {
                Content = new PushStreamContent(new string('x', 300 * 1024)),
            };
            request.Headers.Accept.ParseAdd("text/html");
            try
            {
                return await client.SendAsync(request);
            }
            catch (HttpRequestException exception) when (attempt < 3 && exception.InnerException is IOException)
            {
            }
        }
    }

    private static void AssertRevealsNothing(string body)
    {
        Assert.DoesNotContain("CookieValueThatMustNeverBeEchoed", body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(".cs:line", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("/work/", body);
    }

    /// <summary>A body of unknown length, sent in chunks, as a streaming client does.</summary>
    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
