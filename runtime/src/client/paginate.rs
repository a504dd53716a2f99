//! Paginators: the pages of a `@paginated` operation as a stream, each request carrying
//! the token the page before returned, until a page has no token (or an empty one, or
//! the token just sent: a service that repeats itself would otherwise never end).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::SdkError;

/// The pages (or items) of a paginated operation, as a [`Stream`] or with
/// [`next`](Self::next) and [`collect`](Self::collect). Nothing is sent until it is
/// polled; each page is requested when the one before has been taken.
pub struct PaginationStream<T> {
    inner: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T> std::fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaginationStream").finish_non_exhaustive()
    }
}

impl<T> PaginationStream<T> {
    /// The next page (or item); `None` after the last.
    pub async fn next(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every page (or item): into a `Vec<Result<..>>`, or a `Result<Vec<..>, _>` that
    /// stops at the first error.
    pub async fn collect<C: FromIterator<T>>(mut self) -> C {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item);
        }
        all.into_iter().collect()
    }
}

impl<T, E> PaginationStream<Result<T, E>> {
    /// Every page (or item), or the first error.
    pub async fn try_collect(self) -> Result<Vec<T>, E> {
        self.collect().await
    }
}

impl<T> Stream for PaginationStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// What a paginator needs of an operation's fluent builder `B`, output `O` and token `K`.
pub struct Pages<B, SendFn, InputToken, SetToken, OutputToken> {
    /// The builder of the first request.
    pub builder: B,
    /// Sends a request.
    pub send: SendFn,
    /// The token a builder sends (the caller may start from one).
    pub input_token: InputToken,
    /// A builder that sends `token`.
    pub set_token: SetToken,
    /// The next token a page gives, `None` when it gives none or an empty one.
    pub output_token: OutputToken,
}

/// The pages of the operation `pages` describes.
pub fn pages<B, O, E, K, SendFn, Fut, InputToken, SetToken, OutputToken>(
    pages: Pages<B, SendFn, InputToken, SetToken, OutputToken>,
) -> PaginationStream<Result<O, SdkError<E>>>
where
    B: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    K: PartialEq + Send + 'static,
    SendFn: Fn(B) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, SdkError<E>>> + Send,
    InputToken: Fn(&B) -> Option<K> + Send + Sync + 'static,
    SetToken: Fn(B, K) -> B + Send + Sync + 'static,
    OutputToken: Fn(&O) -> Option<K> + Send + Sync + 'static,
{
    let Pages {
        builder,
        send,
        input_token,
        set_token,
        output_token,
    } = pages;
    let state = (Some(builder), send, input_token, set_token, output_token);
    let stream = futures_util::stream::unfold(state, |state| async move {
        let (builder, send, input_token, set_token, output_token) = state;
        let builder = builder?;
        let sent = input_token(&builder);
        let page = send(builder.clone()).await;
        let next = match &page {
            Ok(output) => output_token(output)
                .filter(|token| sent.as_ref() != Some(token))
                .map(|token| set_token(builder, token)),
            Err(_) => None,
        };
        Some((page, (next, send, input_token, set_token, output_token)))
    });
    PaginationStream {
        inner: Box::pin(stream),
    }
}

/// The items of each page of `pages`, in order (`items_of` takes them out of a page).
pub fn items<O, E, I, ItemsOf>(
    pages: PaginationStream<Result<O, SdkError<E>>>,
    items_of: ItemsOf,
) -> PaginationStream<Result<I, SdkError<E>>>
where
    O: Send + 'static,
    E: Send + 'static,
    I: Send + 'static,
    ItemsOf: Fn(O) -> Vec<I> + Send + Sync + 'static,
{
    let state = (Some(pages), VecDeque::new(), items_of);
    let stream =
        futures_util::stream::unfold(state, |(mut pages, mut buffered, items_of)| async move {
            loop {
                if let Some(item) = buffered.pop_front() {
                    return Some((Ok(item), (pages, buffered, items_of)));
                }
                match pages.as_mut()?.next().await? {
                    Ok(page) => buffered.extend(items_of(page)),
                    // An error ends the items.
                    Err(e) => return Some((Err(e), (None, buffered, items_of))),
                }
            }
        });
    PaginationStream {
        inner: Box::pin(stream),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Builder {
        token: Option<String>,
    }

    /// A page: its items and its next token.
    type Page = (Vec<u32>, Option<String>);

    /// A service whose pages are `answers`, by the token the request sends.
    fn paginate(
        answers: &'static [(Option<&'static str>, Option<&'static str>)],
    ) -> PaginationStream<Result<Page, SdkError<()>>> {
        pages(Pages {
            builder: Builder { token: None },
            send: move |b: Builder| async move {
                let at = answers
                    .iter()
                    .position(|(sent, _)| sent.map(str::to_owned) == b.token)
                    .ok_or_else(|| SdkError::construction_failure("unknown token"))?;
                Ok((vec![at as u32], answers[at].1.map(str::to_owned)))
            },
            input_token: |b: &Builder| b.token.clone(),
            set_token: |_, token| Builder { token: Some(token) },
            output_token: |o: &Page| o.1.clone().filter(|t| !t.is_empty()),
        })
    }

    fn pages_seen(answers: &'static [(Option<&'static str>, Option<&'static str>)]) -> Vec<u32> {
        super::super::test_util::block_on(async {
            let pages: Vec<_> = paginate(answers).collect().await;
            pages.into_iter().flat_map(|p| p.unwrap().0).collect()
        })
    }

    #[test]
    fn pages_follow_tokens_until_there_is_none() {
        assert_eq!(
            pages_seen(&[(None, Some("a")), (Some("a"), Some("b")), (Some("b"), None)]),
            [0, 1, 2]
        );
        // An empty token ends it too, as does the token just sent.
        assert_eq!(
            pages_seen(&[(None, Some("a")), (Some("a"), Some(""))]),
            [0, 1]
        );
        assert_eq!(
            pages_seen(&[(None, Some("a")), (Some("a"), Some("a"))]),
            [0, 1]
        );
    }

    #[test]
    fn items_flatten_pages_and_an_error_ends_them() {
        super::super::test_util::block_on(async {
            let all: Result<Vec<u32>, _> =
                items(paginate(&[(None, Some("a")), (Some("a"), None)]), |page| {
                    page.0
                })
                .collect()
                .await;
            assert_eq!(all.unwrap(), [0, 1]);
            let broken: Vec<Result<u32, _>> =
                items(paginate(&[(None, Some("zzz"))]), |page| page.0)
                    .collect()
                    .await;
            assert_eq!(broken.len(), 2);
            assert!(broken[0].is_ok() && broken[1].is_err());
        });
    }
}
