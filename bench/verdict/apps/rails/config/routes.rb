Rails.application.routes.draw do
  get "up", to: "pages#up"
  get "page", to: "pages#show"
end
