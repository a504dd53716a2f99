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

/// A call's future, boxed: paginators and waiters hold the operation's future behind a
/// pointer, so that each operation adds only a small `poll` of its own to the crate's
/// compile time (a state machine around the whole call per operation added seconds).
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// What a paginator needs of an operation's fluent builder `B`, output `O` and token `K`.
pub struct Pages<B, O, E, K> {
    /// Sends a request.
    pub send: fn(B) -> BoxFuture<Result<O, SdkError<E>>>,
    /// The token a builder sends (the caller may start from one).
    pub input_token: fn(&B) -> Option<K>,
    /// A builder that sends `token`.
    pub set_token: fn(B, K) -> B,
    /// The next token a page gives, `None` when it gives none or an empty one.
    pub output_token: fn(&O) -> Option<K>,
}

/// The pages of an operation, the first request made from `builder`.
pub fn pages<B, O, E, K>(
    builder: B,
    pages: Pages<B, O, E, K>,
) -> PaginationStream<Result<O, SdkError<E>>>
where
    B: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    K: PartialEq + Send + 'static,
{
    PaginationStream {
        inner: Box::pin(PageStream {
            next: Some(builder),
            in_flight: None,
            pages,
        }),
    }
}

/// A request in flight: its future, the token it carries, and its builder (for the next).
struct InFlight<B, O, E, K> {
    future: BoxFuture<Result<O, SdkError<E>>>,
    sent: Option<K>,
    builder: B,
}

struct PageStream<B, O, E, K> {
    /// The builder of the next request; `None` after the last page.
    next: Option<B>,
    in_flight: Option<InFlight<B, O, E, K>>,
    pages: Pages<B, O, E, K>,
}

// Nothing in it is pinned in place: the future is boxed.
impl<B, O, E, K> Unpin for PageStream<B, O, E, K> {}

impl<B: Clone, O, E, K: PartialEq> Stream for PageStream<B, O, E, K> {
    type Item = Result<O, SdkError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.in_flight.is_none() {
            let Some(builder) = this.next.take() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some(InFlight {
                sent: (this.pages.input_token)(&builder),
                future: (this.pages.send)(builder.clone()),
                builder,
            });
        }
        let Some(in_flight) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let Poll::Ready(page) = in_flight.future.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        let Some(InFlight { sent, builder, .. }) = this.in_flight.take() else {
            return Poll::Ready(None);
        };
        if let Ok(output) = &page {
            this.next = (this.pages.output_token)(output)
                .filter(|token| sent.as_ref() != Some(token))
                .map(|token| (this.pages.set_token)(builder, token));
        }
        Poll::Ready(Some(page))
    }
}

/// The items of each page of `pages`, in order (`items_of` takes them out of a page).
pub fn items<O, E, I>(
    pages: PaginationStream<Result<O, SdkError<E>>>,
    items_of: fn(O) -> Vec<I>,
) -> PaginationStream<Result<I, SdkError<E>>>
where
    O: 'static,
    E: Send + 'static,
    I: Send + 'static,
{
    PaginationStream {
        inner: Box::pin(ItemStream {
            pages: Some(pages),
            buffered: VecDeque::new(),
            items_of,
        }),
    }
}

struct ItemStream<O, E, I> {
    /// `None` once the pages have ended (or failed).
    pages: Option<PaginationStream<Result<O, SdkError<E>>>>,
    buffered: VecDeque<I>,
    items_of: fn(O) -> Vec<I>,
}

impl<O, E, I> Unpin for ItemStream<O, E, I> {}

impl<O, E, I> Stream for ItemStream<O, E, I> {
    type Item = Result<I, SdkError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            let Some(pages) = this.pages.as_mut() else {
                return Poll::Ready(None);
            };
            match pages.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.pages = None,
                Poll::Ready(Some(Ok(page))) => this.buffered.extend((this.items_of)(page)),
                // An error ends the items.
                Poll::Ready(Some(Err(e))) => {
                    this.pages = None;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test's "service": each page by the token sent (the builder carries it, as
    /// `send` is a plain function).
    #[derive(Clone)]
    struct Builder {
        token: Option<String>,
        answers: &'static [(Option<&'static str>, Option<&'static str>)],
    }

    /// A page: its items and its next token.
    type Page = (Vec<u32>, Option<String>);

    /// A service whose pages are `answers`, by the token the request sends.
    fn paginate(
        answers: &'static [(Option<&'static str>, Option<&'static str>)],
    ) -> PaginationStream<Result<Page, SdkError<()>>> {
        pages(
            Builder {
                token: None,
                answers,
            },
            Pages {
                send: |b: Builder| {
                    Box::pin(async move {
                        let at = b
                            .answers
                            .iter()
                            .position(|(sent, _)| sent.map(str::to_owned) == b.token)
                            .ok_or_else(|| SdkError::construction_failure("unknown token"))?;
                        Ok((vec![at as u32], b.answers[at].1.map(str::to_owned)))
                    })
                },
                input_token: |b: &Builder| b.token.clone(),
                set_token: |b, token| Builder {
                    token: Some(token),
                    ..b
                },
                output_token: |o: &Page| o.1.clone().filter(|t| !t.is_empty()),
            },
        )
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
