using System.Text;

namespace Atlas.Bot.Posts;

/// <summary>
/// Writes Telegram markup the way a browser lays out text: whitespace collapsed, blocks on their own lines,
/// at most one blank line, nothing leading or trailing. Tags are opened lazily, just before the first
/// visible character inside them, so empty tags never appear and separating whitespace stays outside tags.
/// Callers open and close in strict LIFO order, which keeps the output well-nested.
/// </summary>
internal sealed class TelegramMarkupBuilder
{
    private const int MaxNewlines = 2;

    private readonly List<TelegramToken> _tokens = [];
    private readonly List<Frame> _stack = [];
    private readonly StringBuilder _text = new();
    private bool _hasContent;
    private int _trailingNewlines;
    private bool _pendingSpace;
    private int _pendingNewlines;
    private string? _pendingPrefix;

    /// <summary>
    /// Starts an entity unless Telegram's nesting rules forbid it here (nothing inside code/pre, no link in
    /// a link, no code/pre/blockquote in a link, no nested blockquote) or the same entity is already open.
    /// Returns whether it was started: call <see cref="Close"/> only if it was.
    /// </summary>
    public bool TryOpen(TelegramTag tag, string? href = null)
    {
        var forbidden = InCode
            || _stack.Exists(frame => frame.Tag == tag)
            || (tag is TelegramTag.Code or TelegramTag.Pre or TelegramTag.Blockquote
                && _stack.Exists(frame => frame.Tag == TelegramTag.Link));
        if (forbidden)
        {
            return false;
        }

        _stack.Add(new Frame(tag, href));
        return true;
    }

    public void Close()
    {
        var frame = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (frame.Written)
        {
            FlushText();
            _tokens.Add(new TelegramToken.Close(frame.Tag));
        }
    }

    /// <summary>Appends text with HTML whitespace rules: runs of spaces, tabs, newlines and nbsp read as one space.</summary>
    public void AppendText(string text)
    {
        foreach (var character in text)
        {
            if (IsCollapsibleSpace(character))
            {
                _pendingSpace = true;
            }
            else if (!char.IsControl(character))
            {
                WriteVisible(character);
            }
        }
    }

    /// <summary>Appends text exactly as given (preformatted), apart from control characters Telegram would not show.</summary>
    public void AppendPreformatted(string text)
    {
        foreach (var character in text)
        {
            if (character is '\n' or '\t' || !char.IsControl(character))
            {
                WriteVisible(character);
            }
        }
    }

    /// <summary>A block boundary: the next text starts after at least <paramref name="newlines"/> line breaks (2 = blank line).</summary>
    public void EndBlock(int newlines)
    {
        if (_hasContent && _pendingPrefix is null)
        {
            _pendingNewlines = Math.Max(_pendingNewlines, Math.Min(newlines, MaxNewlines));
        }
    }

    /// <summary>A &lt;br&gt;: one more line break, up to one blank line.</summary>
    public void LineBreak()
    {
        if (_hasContent && _pendingPrefix is null)
        {
            _pendingNewlines = Math.Min(Math.Max(_pendingNewlines, _trailingNewlines) + 1, MaxNewlines);
        }
    }

    /// <summary>Starts a line that begins with <paramref name="prefix"/> (a list bullet), written only if text follows.</summary>
    public void StartLine(string prefix)
    {
        EndBlock(1);
        _pendingPrefix = prefix;
    }

    public TelegramMarkup Build()
    {
        FlushText();
        return new TelegramMarkup([.. _tokens]);
    }

    /// <summary>True inside code or pre, where Telegram allows no other entity.</summary>
    private bool InCode => _stack.Exists(frame => frame.Tag is TelegramTag.Code or TelegramTag.Pre);

    private static bool IsCollapsibleSpace(char character) =>
        character is ' ' or '\t' or '\n' or '\r' or '\f' or '\u00A0';

    private void WriteVisible(char character)
    {
        WritePending();
        OpenPendingTags();
        Write(character);
    }

    private void WritePending()
    {
        if (_hasContent)
        {
            var newlines = _pendingNewlines - _trailingNewlines;
            if (_pendingNewlines > 0)
            {
                for (var i = 0; i < newlines; i++)
                {
                    Write('\n');
                }
            }
            else if (_pendingSpace && _trailingNewlines == 0)
            {
                Write(' ');
            }
        }

        foreach (var character in _pendingPrefix ?? string.Empty)
        {
            Write(character);
        }

        _pendingSpace = false;
        _pendingNewlines = 0;
        _pendingPrefix = null;
    }

    private void OpenPendingTags()
    {
        var first = _stack.FindIndex(frame => !frame.Written);
        if (first < 0)
        {
            return;
        }

        FlushText();
        for (var i = first; i < _stack.Count; i++)
        {
            _tokens.Add(new TelegramToken.Open(_stack[i].Tag, _stack[i].Href));
            _stack[i] = _stack[i] with { Written = true };
        }
    }

    private void Write(char character)
    {
        _text.Append(character);
        _hasContent = true;
        _trailingNewlines = character == '\n' ? _trailingNewlines + 1 : 0;
    }

    private void FlushText()
    {
        if (_text.Length > 0)
        {
            _tokens.Add(new TelegramToken.Text(_text.ToString()));
            _text.Clear();
        }
    }

    private sealed record Frame(TelegramTag Tag, string? Href, bool Written = false);
}
